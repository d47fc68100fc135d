using System.Net;
using Fleet.Agent.Acme;
using Fleet.Agent.Acme.Dns01;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Integration.Tests.Acme;

/// <summary>The real Pebble and BIND started by scripts/services/{pebble,bind}.sh.</summary>
internal static class AcmeTestEnvironment
{
    public static Uri PebbleDirectory => new(Require("FLEET_TEST_PEBBLE_DIRECTORY"));

    public static Uri PebbleDnsDirectory => new(Require("FLEET_TEST_PEBBLE_DNS_DIRECTORY"));

    public static Uri PebbleNonce50Directory => new(Require("FLEET_TEST_PEBBLE_NONCE50_DIRECTORY"));

    public static string PebbleCa => Require("FLEET_TEST_PEBBLE_CA");

    /// <summary>The port Pebble connects to for HTTP-01 validation (on 127.0.0.1).</summary>
    public static int HttpPort => int.Parse(Require("FLEET_TEST_PEBBLE_HTTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static IPEndPoint DnsServer => IPEndPoint.Parse(Require("FLEET_TEST_DNS_SERVER"));

    public static string DnsZone => Require("FLEET_TEST_DNS_ZONE");

    public static TsigKey Tsig => new(Require("FLEET_TEST_TSIG_NAME"), Convert.FromBase64String(Require("FLEET_TEST_TSIG_SECRET")));

    public static AcmeClient NewClient(Uri directory, TimeProvider? time = null) =>
        new(AcmeHttp.Create(PebbleCa, TimeSpan.FromSeconds(30)), directory,
            System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256),
            time ?? TimeProvider.System, NullLogger.Instance);

    /// <summary>A responder on the port Pebble validates, or on <paramref name="port"/> (where Pebble never looks).</summary>
    public static Http01Responder NewResponder(int? port = null) =>
        new(new IPEndPoint(IPAddress.Loopback, port ?? HttpPort), NullLogger<Http01Responder>.Instance);

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A name under the test zone no other test uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20] + "." + DnsZone;

    public static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Environment variable {name} is not set: the ACME tests need the real Pebble and BIND. Run ./scripts/test.sh (it starts them via scripts/services/pebble.sh and bind.sh).");
}
