using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Acme;

/// <summary>Makes <see cref="AcmeClient"/>s for the configured directory with the agent's account key.</summary>
internal sealed class AcmeClientFactory(IOptionsMonitor<CertificatesOptions> options, TimeProvider time, ILoggerFactory loggers) : IDisposable
{
    public const string AccountKeyFile = "account.key";
    private readonly Lazy<HttpClient> _http = new(() => AcmeHttp.Create(options.CurrentValue.DirectoryTrustFile, TimeSpan.FromSeconds(30)));
    private readonly Lock _lock = new();
    private ECDsa? _accountKey;

    public AcmeClient Create()
    {
        var o = options.CurrentValue;
        lock (_lock)
        {
            _accountKey ??= AccountKeyStore.LoadOrCreate(Path.Combine(o.StateDirectory, AccountKeyFile));
        }

        return new AcmeClient(_http.Value, o.DirectoryUrl, _accountKey, time, loggers.CreateLogger<AcmeClient>());
    }

    public ExternalAccountBinding? ExternalAccount()
    {
        var o = options.CurrentValue;
        return o.ExternalAccountKeyId is { Length: > 0 } kid && o.ExternalAccountHmacKeyFile is { Length: > 0 } file
            ? new ExternalAccountBinding(kid, Base64Url.DecodeFromChars(File.ReadAllText(file).Trim()))
            : null;
    }

    public void Dispose()
    {
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }

        _accountKey?.Dispose();
    }
}
