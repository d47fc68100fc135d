using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Identity;
using Fleet.Contracts.V1;
using Fleet.Core.Transport;
using Grpc.Net.Client;

namespace Fleet.Agent.Connection;

/// <summary>
/// The agent's HTTP/2 channel to the controller: the server must chain to a pinned CA, and the
/// client presents its certificate. HTTP/2 keeps one connection open for as long as it is used,
/// so after a renewal a new channel (new TLS connection, new certificate) serves new calls; the
/// old one lives on until the calls leased on it (the open Connect stream) end.
/// </summary>
internal sealed class ControllerChannel(AgentCredentials credentials) : IDisposable
{
    private readonly Lock _gate = new();
    private Generation? _current;
    private bool _disposed;

    public PinnedServerValidator Validator { get; } = new(credentials.Config.CaPins, credentials.CaBundle);

    /// <summary>A client on the channel for the current certificate; dispose when the call ends.</summary>
    public Lease Acquire()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var certificate = credentials.Current;
            if (_current is null || !ReferenceEquals(_current.Certificate, certificate))
            {
                if (_current is not null)
                {
                    _current.Retired = true;
                    DisposeIfUnused(_current);
                }

                _current = new Generation(certificate, PinnedChannel.Create(credentials.Config.ControllerUrl, Validator, () => certificate));
            }

            _current.Leases++;
            return new Lease(this, _current);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _current?.Channel.Dispose();
        }
    }

    private void Release(Generation generation)
    {
        lock (_gate)
        {
            generation.Leases--;
            DisposeIfUnused(generation);
        }
    }

    private static void DisposeIfUnused(Generation generation)
    {
        if (generation.Retired && generation.Leases == 0)
        {
            generation.Channel.Dispose();
        }
    }

    internal sealed class Lease(ControllerChannel owner, Generation generation) : IDisposable
    {
        private int _released;

        public AgentService.AgentServiceClient Client => generation.Client;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(generation);
            }
        }
    }

    internal sealed class Generation(X509Certificate2 certificate, GrpcChannel channel)
    {
        public X509Certificate2 Certificate { get; } = certificate;

        public GrpcChannel Channel { get; } = channel;

        public AgentService.AgentServiceClient Client { get; } = new(channel);

        public int Leases { get; set; }

        public bool Retired { get; set; }
    }
}
