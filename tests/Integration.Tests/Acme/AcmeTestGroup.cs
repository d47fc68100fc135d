namespace Fleet.Integration.Tests.Acme;

/// <summary>ACME tests share the fixed HTTP-01 port Pebble validates against, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AcmeTestGroup
{
    public const string Name = "acme";
}
