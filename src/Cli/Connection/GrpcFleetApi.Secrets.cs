using Fleet.Contracts.V1;

namespace Fleet.Cli.Connection;

/// <summary>SecretsService: ciphertexts only travel here; values are sealed and opened by fleetctl itself.</summary>
internal sealed partial class GrpcFleetApi
{
    public Task<PutSecretResponse> PutSecretAsync(PutSecretRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _secrets.PutSecretAsync(request, o), cancellationToken);

    public Task<ListSecretsResponse> ListSecretsAsync(ListSecretsRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _secrets.ListSecretsAsync(request, o), cancellationToken);

    public Task<RemoveSecretResponse> RemoveSecretAsync(RemoveSecretRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _secrets.RemoveSecretAsync(request, o), cancellationToken);

    public Task<GetRecoveryCopiesResponse> GetRecoveryCopiesAsync(GetRecoveryCopiesRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _secrets.GetRecoveryCopiesAsync(request, o), cancellationToken);

    public Task<AddSealedCopiesResponse> AddSealedCopiesAsync(AddSealedCopiesRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _secrets.AddSealedCopiesAsync(request, o), cancellationToken);
}
