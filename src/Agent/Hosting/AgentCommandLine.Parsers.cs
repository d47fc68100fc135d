using System.CommandLine.Parsing;
using System.Net;
using Fleet.Agent.Identity;
using Fleet.Core.Transport;

namespace Fleet.Agent.Hosting;

internal sealed partial class AgentCommandLine
{
    private static Uri ParseController(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.Query))
        {
            return uri;
        }

        result.AddError($"--controller must be an https:// URL such as https://controller.example:7443, got '{text}'");
        return null!;
    }

    private static string ParseToken(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (!ApiToken.TryParse(text, ApiToken.JoinKind, out _, out _))
        {
            // Never echo the value: it may be a real secret pasted in the wrong place.
            result.AddError("--token must be a join token like fleet_join_<id>_<secret> (from 'fleetctl tokens create --role agent-join')");
        }

        return text.Trim();
    }

    private static string[] ParsePins(ArgumentResult result)
    {
        var pins = new List<string>();
        foreach (var token in result.Tokens)
        {
            if (!CaPin.TryParse(token.Value, out var pin, out var error))
            {
                result.AddError($"--ca-pin: {error}");
            }
            else if (!pins.Contains(pin))
            {
                pins.Add(pin);
            }
        }

        if (pins.Count > 2)
        {
            result.AddError("--ca-pin accepts at most two values (the current CA and the next one)");
        }

        return [.. pins];
    }

    private static string ParseName(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (!AgentNames.TryValidateName(text, out var error))
        {
            result.AddError($"--name: {error}");
        }

        return text;
    }

    private static Dictionary<string, string> ParseLabels(ArgumentResult result)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            if (!AgentNames.TryParseLabel(token.Value, out var key, out var value, out var error))
            {
                result.AddError($"--label: {error}");
            }
            else if (!labels.TryAdd(key, value))
            {
                result.AddError($"--label: the key '{key}' is given twice");
            }
        }

        if (labels.Count > AgentNames.MaxLabels)
        {
            result.AddError($"--label: an agent can carry at most {AgentNames.MaxLabels} labels");
        }

        return labels;
    }

    private static void ValidateMetricsListen(OptionResult result)
    {
        var text = result.Tokens.SingleOrDefault()?.Value;
        if (text is not null && !string.Equals(text, "off", StringComparison.OrdinalIgnoreCase)
            && !(IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0))
        {
            result.AddError($"--metrics-listen must be IP:PORT (e.g. {DefaultMetricsListen}) or 'off', got '{text}'");
        }
    }

    private static IPEndPoint? MetricsEndpoint(string text) =>
        string.Equals(text, "off", StringComparison.OrdinalIgnoreCase) ? null : IPEndPoint.Parse(text);
}
