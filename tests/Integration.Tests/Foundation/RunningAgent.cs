using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Hosting;
using Microsoft.Extensions.Hosting;

namespace Fleet.Integration.Tests.Foundation;

/// <summary>A real agent host running in this process against the real controller.</summary>
internal sealed class RunningAgent(string name, string stateDirectory) : IAsyncDisposable
{
    private IHost? _host;

    public string Name { get; } = name;

    public string StateDirectory { get; } = stateDirectory;

    /// <summary>The running host's services (after <see cref="StartAsync"/>).</summary>
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException($"agent {Name} is not running");

    public string CertificatePath => Path.Combine(StateDirectory, "agent.crt");

    public string KeyPath => Path.Combine(StateDirectory, "agent.key");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _host = AgentHost.Create(["--state-dir", StateDirectory, "--metrics-listen", "off"]);
        await _host.StartAsync(cancellationToken);
    }

    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
    }

    public X509Certificate2 LoadCertificate() => X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);

    public ValueTask DisposeAsync() => new(StopAsync());
}
