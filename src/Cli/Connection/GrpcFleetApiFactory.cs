using Fleet.Cli.Config;
using Fleet.Core.Transport;

namespace Fleet.Cli.Connection;

internal sealed class GrpcFleetApiFactory(TimeProvider time) : IFleetApiFactory
{
    public IFleetApi Create(ControllerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Uri.TryCreate(context.Controller, UriKind.Absolute, out var controller) || controller.Scheme != Uri.UriSchemeHttps)
        {
            throw new CliException($"the saved controller address '{context.Controller}' is not an https URL: run fleetctl login again");
        }

        if (!CaPin.TryParse(context.CaPin, out var pin, out var error))
        {
            throw new CliException($"the saved CA pin is invalid ({error}): run fleetctl login again");
        }

        if (!ApiToken.TryParse(context.Token, ApiToken.ApiKind, out _, out _))
        {
            throw new CliException("the saved token is not an API token (fleet_api_…): run fleetctl login again");
        }

        return new GrpcFleetApi(controller, pin, context.Token.Trim(), time);
    }
}
