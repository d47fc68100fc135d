using Fleet.Cli.Config;
using Fleet.Cli.Connection;

namespace Fleet.Cli.Tests.Support;

internal sealed class FakeFleetApiFactory : IFleetApiFactory
{
    public FakeFleetApi Api { get; } = new();

    public List<ControllerContext> Contexts { get; } = [];

    public IFleetApi Create(ControllerContext context)
    {
        Contexts.Add(context);
        return Api;
    }
}
