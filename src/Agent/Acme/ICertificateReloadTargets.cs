namespace Fleet.Agent.Acme;

/// <summary>Sends a signal to containers (Docker.DotNet in production).</summary>
internal interface IContainerSignaller
{
    Task SignalAsync(string container, string signal, CancellationToken cancellationToken);

    /// <summary>Signals every running container of a Fleet service (both slots during a swap); throws when none runs.</summary>
    Task SignalServiceAsync(string app, string service, string signal, CancellationToken cancellationToken);
}

/// <summary>
/// Told after every installation (the edge proxy reloads its certificates this way). Register
/// implementations in DI; a failure is reported as a reload failure.
/// </summary>
internal interface ICertificateInstalledListener
{
    Task CertificateInstalledAsync(InstalledCertificate certificate, CancellationToken cancellationToken);
}
