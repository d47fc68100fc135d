using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class ReleaseFileResourcesTests
{
    private static ReleaseDefinition Parse(string service) => ReleaseFile.Parse($"""
        app: shop
        services:
          web:
            image: 127.0.0.1:5000/shop/web:1.0
        {service}
        """);

    [Theory]
    [InlineData("512m", "1.5", "on-failure:5", 512L << 20, 1.5, RestartPolicyType.OnFailure, 5)]
    [InlineData("2g", "2", "no", 2L << 30, 2.0, RestartPolicyType.No, null)]
    [InlineData("262144k", "0.25", "always", 256L << 20, 0.25, RestartPolicyType.Always, null)]
    [InlineData("10485760", "1", "on-failure", 10L << 20, 1.0, RestartPolicyType.OnFailure, null)]
    public void Parse_ResourcesAndRestart_Read(string memory, string cpus, string restart, long bytes, double cores, RestartPolicyType policy, int? retries)
    {
        var web = Parse($"""
                resources: {"{"}memory: {memory}, cpus: {cpus}{"}"}
                restart: "{restart}"
            """).Services[0];

        Assert.Equal(new ResourcesSpec { MemoryBytes = bytes, Cpus = (decimal)cores }, web.Resources);
        Assert.Equal(new RestartSpec { Policy = policy, MaxRetries = retries }, web.Restart);
    }

    [Fact]
    public void Parse_NoResourcesOrRestart_NullSoOlderManifestsAreUnchanged()
    {
        var web = Parse("").Services[0];

        Assert.Null(web.Resources);
        Assert.Null(web.Restart);
    }

    [Theory]
    [InlineData("resources: {memory: 512 MB}", "services.web.resources.memory", "is not a size like 512m")]
    [InlineData("resources: {memory: 1m}", "services.web.resources.memory", "between 6m and 1024g")]
    [InlineData("resources: {cpus: -1}", "services.web.resources.cpus", "is not a number of cores")]
    [InlineData("resources: {cpus: 0.001}", "services.web.resources.cpus", "between 0.01 and 1024")]
    [InlineData("resources: {disk: 1g}", "services.web.resources.disk", "unknown field")]
    [InlineData("restart: sometimes", "services.web.restart", "must be no, on-failure, on-failure:N, always or unless-stopped")]
    [InlineData("restart: always:3", "services.web.restart", "must be no, on-failure")]
    [InlineData("restart: on-failure:0", "services.web.restart", "between 1 and 1000")]
    public void Parse_BadResourcesOrRestart_RefusedAtItsPath(string line, string path, string message)
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => Parse("    " + line));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
