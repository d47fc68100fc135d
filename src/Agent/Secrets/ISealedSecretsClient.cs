using Fleet.Contracts.V1;

namespace Fleet.Agent.Secrets;

/// <summary>Asks the controller for the copies of secret versions sealed for this agent.</summary>
internal interface ISealedSecretsClient
{
    Task<IReadOnlyList<SealedCopy>> GetAsync(string app, string environment, IEnumerable<SecretReference> secrets, CancellationToken cancellationToken);
}
