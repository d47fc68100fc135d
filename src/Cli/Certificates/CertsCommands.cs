using System.CommandLine;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Certificates;

/// <summary><c>fleetctl certs list [--agent A]</c> and <c>certs renew --agent A --name N</c>.</summary>
internal static class CertsCommands
{
    public static Command Create(CliRuntime runtime) => new("certs", "ACME certificates the agents keep valid: days left across the fleet, forced renewals")
    {
        List(runtime),
        Renew(runtime),
    };

    private static Command List(CliRuntime runtime)
    {
        var agent = new Option<string>("--agent") { Description = "Only this agent's certificates", HelpName = "NAME" };
        var output = OutputOption.Create();
        var command = new Command(
            "list", $"List every certificate with its expiry; those with fewer than {CertificateFormatter.ExpiringSoonDays} days left or a failed renewal are flagged")
        {
            agent, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ListCertificatesResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.ListCertificatesAsync(new ListCertificatesRequest { Agent = parse.GetValue(agent) ?? "" }, cancellationToken);
            }

            var now = runtime.Time.GetUtcNow();
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(CertificateFormatter.ToJson(response.Certificates, now), CliJsonContext.Output.CertificateListJson);
            }
            else if (response.Certificates.Count == 0)
            {
                runtime.Renderer.Line("No certificates reported yet. Declare them under certificates: in fleet.yaml or in the agent's Certificates:Items.");
            }
            else
            {
                runtime.Renderer.Write(CertificateFormatter.Table(response.Certificates, now));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Renew(CliRuntime runtime)
    {
        var agent = new Option<string>("--agent") { Description = "The agent holding the certificate", HelpName = "NAME", Required = true };
        var name = new Option<string>("--name") { Description = "The certificate's name", HelpName = "NAME", Required = true };
        var output = OutputOption.Create();
        var command = new Command(
            "renew", "Renew a certificate now on its agent (which must be connected), ignoring its schedule and any backoff; waits until it is installed")
        {
            agent, name, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ForceRenewalResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.ForceRenewalAsync(
                    new ForceRenewalRequest { Agent = parse.GetRequiredValue(agent), Name = parse.GetRequiredValue(name) }, cancellationToken);
            }

            var now = runtime.Time.GetUtcNow();
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(CertificateFormatter.ToJson(response.Certificate, now), CliJsonContext.Output.CertificateJson);
            }
            else
            {
                var r = response.Certificate.Certificate;
                runtime.Renderer.Line(
                    $"Renewed {r.Name} on {response.Certificate.Agent}: serial {r.Serial}, valid until {Humanize.Iso(r.NotAfter)} ({CertificateFormatter.DaysLeft(r, now)} days).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
