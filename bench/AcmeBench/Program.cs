using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Fleet.Agent.Acme;
using Fleet.Core.Files;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// One issuance with the agent's ACME client, like one `lego run`: a new account key, HTTP-01
// answered on --listen, certificate and key written to --out. Prints the elapsed milliseconds.
// Usage: AcmeBench --directory URL --ca PEM --listen 127.0.0.1:PORT --domain NAME --out DIR
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string Arg(string name) => options.TryGetValue(name, out var value)
    ? value
    : throw new ArgumentException($"missing --{name}; usage: AcmeBench --directory URL --ca PEM --listen IP:PORT --domain NAME --out DIR");

// --verbose 1 traces the client's requests and waits on stderr.
using var loggers = LoggerFactory.Create(b => b.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace)
    .SetMinimumLevel(options.ContainsKey("verbose") ? LogLevel.Debug : LogLevel.None));
var watch = Stopwatch.StartNew();
using var http = AcmeHttp.Create(Arg("ca"), TimeSpan.FromSeconds(30));
using var accountKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
var client = new AcmeClient(http, new Uri(Arg("directory")), accountKey, TimeProvider.System, loggers.CreateLogger<AcmeClient>());
await using var responder = new Http01Responder(IPEndPoint.Parse(Arg("listen")), NullLogger<Http01Responder>.Instance);

var issued = await AcmeIssuer.IssueAsync(client, new IssueRequest([Arg("domain")]), new Http01Solver(responder), CancellationToken.None);

var output = Directory.CreateDirectory(Arg("out")).FullName;
SecureFile.WriteAtomic(Path.Combine(output, "fullchain.pem"), issued.Chain.Pem, SecureFile.WorldReadable);
SecureFile.WriteAtomic(Path.Combine(output, "privkey.pem"), issued.PrivateKeyPem, SecureFile.OwnerOnly);
Console.WriteLine(watch.ElapsedMilliseconds);
