// Every test class starts real processes on a 2-core machine: clusters running side by side would starve each
// other's heartbeats and turn timing assertions (DOWN within the failure timeout) into coin flips.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
