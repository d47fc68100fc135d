using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Identity;

/// <summary>An enrolled agent as loaded from its state directory.</summary>
internal sealed record AgentIdentity(AgentConfig Config, X509Certificate2 Certificate, X509Certificate2Collection CaBundle);
