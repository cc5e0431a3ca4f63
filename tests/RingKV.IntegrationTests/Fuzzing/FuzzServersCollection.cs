namespace RingKV.IntegrationTests.Fuzzing;

/// <summary>The fuzz test classes share one <see cref="FuzzServers"/>.</summary>
[CollectionDefinition(Name)]
public sealed class FuzzServersCollection : ICollectionFixture<FuzzServers>
{
    public const string Name = "fuzz servers";
}
