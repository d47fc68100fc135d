// Runs one backup through the agent's own services (AddBackups: pg_dump → zstd → chunked
// AES-256-GCM → file:// store, manifest, retention) and prints elapsed time, stored size and this
// process's peak RSS (VmHWM; pg_dump is a separate process and not counted).
//   BackupBench --host H --port P --user U --database D --pg-bin DIR --store DIR --key FILE [--workers N] [--level L]
using System.Diagnostics;
using System.Globalization;
using Fleet.Agent.Backups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    arguments[args[i].TrimStart('-')] = args[i + 1];
}
string Arg(string name) => arguments.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Backups:AgentName"] = "bench",
    ["Backups:StateDirectory"] = Path.Combine(Arg("store"), "state"),
    ["Backups:PostgresBinDirectory"] = Arg("pg-bin"),
    ["Backups:CompressionWorkers"] = arguments.GetValueOrDefault("workers"),
    ["Backups:CompressionLevel"] = arguments.GetValueOrDefault("level"),
});
builder.Services.AddLogging();
builder.Services.AddBackups(builder.Configuration);
using var host = builder.Build();

var declaration = new BackupDeclaration
{
    App = "bench",
    Name = "db",
    Host = Arg("host"),
    Port = int.Parse(Arg("port"), CultureInfo.InvariantCulture),
    User = Arg("user"),
    Database = Arg("database"),
    EncryptionKeyFile = Arg("key"),
    Store = new BackupStoreSettings { Url = "file://" + Path.GetFullPath(Arg("store")) },
};
var stopwatch = Stopwatch.StartNew();
var result = await host.Services.GetRequiredService<BackupService>().RunAsync(declaration, BackupTrigger.Manual, null, CancellationToken.None);
stopwatch.Stop();
if (!result.Succeeded)
{
    await Console.Error.WriteLineAsync("backup failed: " + result.Error);
    return 1;
}
var peakKb = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"elapsed_s={stopwatch.Elapsed.TotalSeconds:F3} size_bytes={result.Manifest!.SizeBytes} peak_rss_kb={peakKb}"));
return 0;
