using Fleet.Cli.Config;

namespace Fleet.Cli.Connection;

internal interface IFleetApiFactory
{
    /// <summary>An API client for the context; no network traffic happens until the first call.</summary>
    IFleetApi Create(ControllerContext context);
}
