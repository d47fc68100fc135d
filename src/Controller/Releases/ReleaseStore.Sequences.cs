using Fleet.Core.Releases;
using Grpc.Core;
using Npgsql;

namespace Fleet.Controller.Releases;

/// <summary>
/// The sequence floor of an app and environment is the highest sequence among its releases that
/// met their threshold. A release still awaiting approval does not raise it: one key below the
/// threshold, signing a release at the highest sequence there is, must not lock the app and
/// environment out of every later release.
/// </summary>
internal sealed partial class ReleaseStore
{
    private const string ApprovedFloor =
        "select coalesce(max(sequence), 0) as floor from releases where app = $1 and environment = $2 and cardinality(signers) >= threshold";

    /// <summary>The lowest sequence above the floor that no release (approved or waiting) uses yet.</summary>
    public async Task<long> NextSequenceAsync(string app, string environment, CancellationToken cancellationToken)
    {
        // Every candidate is checked against MaxSequence before one is added to it: nothing here overflows.
        await using var command = dataSource.CreateCommand(
            $"with approved as ({ApprovedFloor}), " +
            "taken as (select sequence from releases, approved where app = $1 and environment = $2 and sequence > approved.floor) " +
            "select min(candidate) from (" +
            "  select floor + 1 as candidate from approved where floor < $3" +
            "  union all select sequence + 1 from taken where sequence < $3) candidates " +
            "where candidate not in (select sequence from taken)");
        command.Parameters.AddWithValue(app);
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(ReleaseValidator.MaxSequence);
        return await command.ExecuteScalarAsync(cancellationToken) as long?
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"{app}/{environment} has no sequence left below the limit {ReleaseValidator.MaxSequence}; a release was approved at the limit"));
    }

    /// <summary>Refuses a sequence at or below the floor, or one that a waiting release already uses.</summary>
    private static async Task RequireFreeSequenceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ReleaseManifest manifest, CancellationToken cancellationToken)
    {
        await using (var floor = new NpgsqlCommand(ApprovedFloor, connection, transaction))
        {
            floor.Parameters.AddWithValue(manifest.App);
            floor.Parameters.AddWithValue(manifest.Environment);
            ReleaseIntake.RequireNewerSequence(manifest, (long)(await floor.ExecuteScalarAsync(cancellationToken))!);
        }

        await using var taken = new NpgsqlCommand("select id from releases where app = $1 and environment = $2 and sequence = $3", connection, transaction);
        taken.Parameters.AddWithValue(manifest.App);
        taken.Parameters.AddWithValue(manifest.Environment);
        taken.Parameters.AddWithValue(manifest.Sequence);
        if (await taken.ExecuteScalarAsync(cancellationToken) is string waiting)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"release refused (SequenceTaken): sequence {manifest.Sequence} of {manifest.App}/{manifest.Environment} is used by release {waiting}, " +
                "which has not met its threshold; approve that one (fleetctl releases approve) or sign the new release with a higher sequence"));
        }
    }
}
