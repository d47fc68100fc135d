using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Identity;

/// <summary>An enrolled agent as loaded from its state directory.</summary>
/// <param name="Config">agent.json.</param>
/// <param name="Certificate">The client certificate with its private key.</param>
/// <param name="CaBundle">The controller CA certificates (ca.crt).</param>
/// <param name="ObtainedAt">When the certificate was received (the file's write time): controllers
/// back-date NotBefore for clock skew, so the lifetime to renew within starts here.</param>
internal sealed record AgentIdentity(AgentConfig Config, X509Certificate2 Certificate, X509Certificate2Collection CaBundle, DateTimeOffset ObtainedAt);
