using System.Text.Json.Nodes;
using Fleet.Agent.Hosting;

namespace Fleet.Integration.Tests.Acme;

/// <summary>Writes an in-process agent's settings.json with one agent-local certificate declaration against the real Pebble.</summary>
internal static class AgentCertificateSettings
{
    public static Action<string> Http01(string name, string domain, string marker) => state => Write(state, AcmeTestEnvironment.PebbleDirectory, new JsonObject
    {
        ["Name"] = name,
        ["Domains"] = new JsonArray(domain),
        ["Challenge"] = new JsonObject { ["Type"] = "http-01" },
        ["Reload"] = new JsonObject { ["Command"] = new JsonArray("/bin/sh", "-c", $"echo reloaded >> '{marker}'") },
    });

    public static Action<string> Dns01(string name, string domain, string secretFile) => state => Write(state, AcmeTestEnvironment.PebbleDnsDirectory, new JsonObject
    {
        ["Name"] = name,
        ["Domains"] = new JsonArray(domain),
        ["Challenge"] = new JsonObject
        {
            ["Type"] = "dns-01",
            ["Server"] = AcmeTestEnvironment.DnsServer.ToString(),
            ["Zone"] = AcmeTestEnvironment.DnsZone,
            ["TsigKeyName"] = AcmeTestEnvironment.Tsig.Name,
            ["TsigSecretFile"] = secretFile,
        },
    });

    private static void Write(string state, Uri directory, JsonObject item)
    {
        var settings = new JsonObject
        {
            ["Certificates"] = new JsonObject
            {
                ["DirectoryUrl"] = directory.AbsoluteUri,
                ["DirectoryTrustFile"] = AcmeTestEnvironment.PebbleCa,
                ["Http01Listen"] = $"127.0.0.1:{AcmeTestEnvironment.HttpPort}",
                ["FirstCheckDelay"] = "00:00:00",
                ["Items"] = new JsonArray(item),
            },
        };
        File.WriteAllText(Path.Combine(state, AgentHost.SettingsFile), settings.ToJsonString());
    }
}
