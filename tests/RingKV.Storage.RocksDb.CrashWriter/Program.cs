using RingKV.Storage;
using RingKV.Storage.RocksDb;
using RingKV.Storage.RocksDb.CrashWriter;

// Usage: CrashWriter <directory> <always|everysec|no> <count>
// Opens the engine, prints "ready", applies CrashRecords 0..count-1 printing "acked <i>" after each Apply returns, prints
// "done", then keeps the engine open until standard input closes. The crash test SIGKILLs it midway and checks that
// every acknowledged key survived; the lock test opens the same directory while it waits. Standard input closing
// also means the parent died, so the process never outlives its test.
if (args.Length != 3 || !FsyncPolicyNames.TryParse(args[1], out var fsync) || !int.TryParse(args[2], out var count))
{
    Console.Error.WriteLine("usage: CrashWriter <directory> <always|everysec|no> <count>");
    return 2;
}

var stdinClosed = new ManualResetEventSlim();
var watchdog = new Thread(() =>
{
    while (Console.In.Read() >= 0)
    {
    }

    stdinClosed.Set();
})
{ IsBackground = true };
watchdog.Start();

using var engine = new RocksDbEngine(args[0], new RocksDbEngineOptions { Fsync = fsync, NodeId = CrashRecords.NodeId });
Console.WriteLine("ready");
for (var i = 0; i < count && !stdinClosed.IsSet; i++)
{
    engine.Store.Apply(CrashRecords.Slot(i), CrashRecords.Key(i), CrashRecords.Record(i));
    Console.WriteLine($"acked {i}");
}

Console.WriteLine("done");
stdinClosed.Wait();
return 0;
