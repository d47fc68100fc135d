using Fleet.Cli.Config;
using Fleet.Cli.Connection;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Connection;

public sealed class GrpcFleetApiFactoryTests
{
    private readonly GrpcFleetApiFactory _factory = new(TimeProvider.System);

    [Theory]
    [InlineData("http://127.0.0.1:7443", CliHarness.Pin, CliHarness.Token, "is not an https URL")]
    [InlineData("not a url", CliHarness.Pin, CliHarness.Token, "is not an https URL")]
    [InlineData("https://127.0.0.1:7443", "sha256:00", CliHarness.Token, "the saved CA pin is invalid")]
    [InlineData("https://127.0.0.1:7443", CliHarness.Pin, "fleet_join_00112233aabbccdd_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "not an API token")]
    public void Create_DamagedContext_TellsToLoginAgain(string controller, string pin, string token, string reason)
    {
        var ex = Assert.Throws<CliException>(() => _factory.Create(new ControllerContext(controller, pin, token)));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains("run fleetctl login again", ex.Message, StringComparison.Ordinal);
    }
}
