using Fleet.Contracts.V1;
using Fleet.Controller.Rollouts;
using Fleet.Core.Trust;
using Grpc.Core;
using Npgsql;

namespace Fleet.Controller.Releases;

internal sealed partial class ReleaseStore
{
    /// <summary>
    /// Adds the signatures of <paramref name="approval"/> (same payload) and starts the rollout once
    /// the threshold is met. Only a signature by a key of the release's environment that has not
    /// signed yet is added: an approval that brings none is refused and nothing changes, so a
    /// token holder without such a key can neither pad the envelope up to its signature cap nor
    /// repeat a signer.
    /// </summary>
    public async Task<Release> ApproveAsync(string releaseId, DsseEnvelope approval, TrustPolicy policy, string tokenId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(policy);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        byte[] stored;
        await using (var find = new NpgsqlCommand("select envelope from releases where id = $1 for update", connection, transaction))
        {
            find.Parameters.AddWithValue(releaseId);
            stored = await find.ExecuteScalarAsync(cancellationToken) as byte[]
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"no release '{releaseId}'"));
        }

        var current = DsseEnvelope.Parse(stored, Core.Releases.ReleaseManifest.PayloadType);
        if (!approval.Payload.AsSpan().SequenceEqual(current.Payload))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the approval signs different bytes than release {releaseId}; sign the stored payload"));
        }

        var now = time.GetUtcNow();
        var keys = policy.Keys.Values.Select(k => k.PublicKey).ToList();
        var signed = DsseVerifier.TrustedSignatures(current, keys);
        var offered = DsseVerifier.TrustedSignatures(approval, keys);
        if (offered.Count == 0)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"approval refused (NoTrustedSignature): none of its {approval.Signatures.Count} signatures verifies with a key of trust policy v{policy.Version}"));
        }

        var added = offered.Where(o => !signed.Any(s => s.KeyId == o.KeyId)).ToList();
        if (added.Count == 0)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists,
                $"approval refused (AlreadySigned): {KeyNames(policy, offered)} already signed release {releaseId}"));
        }

        var verified = ReleaseIntake.Verify((current with { Signatures = [.. signed, .. added] }).ToJson(), policy, now);
        var manifest = verified.Manifest;
        if (!added.Any(a => verified.Signers.Contains(a.KeyId)))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"approval refused (UnknownKey): {KeyNames(policy, added)} is not trusted for '{manifest.Environment}' by trust policy v{policy.Version}"));
        }

        var envelope = verified.Envelope.ToJson();
        await using (var update = new NpgsqlCommand("update releases set envelope = $2, signers = $3 where id = $1", connection, transaction))
        {
            update.Parameters.AddWithValue(releaseId);
            update.Parameters.AddWithValue(envelope);
            update.Parameters.AddWithValue(verified.Signers.Order(StringComparer.Ordinal).ToArray());
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        StartedRollout? started = null;
        if (verified.ThresholdMet)
        {
            await using var waiting = new NpgsqlCommand("select id from rollouts where release_id = $1 and state = 'awaiting_approval' for update", connection, transaction);
            waiting.Parameters.AddWithValue(releaseId);
            if (await waiting.ExecuteScalarAsync(cancellationToken) is string rolloutId)
            {
                started = await RolloutTargets.StartAsync(connection, transaction, rolloutId, manifest, envelope, now, cancellationToken);
            }
        }

        await audit.AppendAsync(connection, transaction, "release.approve", tokenId, $"{manifest.App}/{manifest.Environment}#{manifest.Sequence}",
            $"release {releaseId}, signers {verified.Signers.Count}/{verified.Rule.Threshold}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Committed(started);
        return (await FindAsync(releaseId, cancellationToken))!;
    }

    private static string KeyNames(TrustPolicy policy, IEnumerable<DsseSignature> signatures) =>
        string.Join(", ", signatures.Select(s => $"key {policy.Keys[s.KeyId].Name} ({s.KeyId})"));
}
