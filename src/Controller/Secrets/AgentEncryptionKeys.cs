using Fleet.Controller.Agents;
using Fleet.Core.Secrets;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Controller.Secrets;

/// <summary>
/// Records the encryption public key an agent announces at enrollment and in every Hello, so agents
/// enrolled before keys existed, and agents whose key file was replaced, get (new) copies sealed
/// by the next <c>fleetctl secrets set</c> or <c>grant</c>.
/// </summary>
internal sealed partial class AgentEncryptionKeys(NpgsqlDataSource dataSource, ILogger<AgentEncryptionKeys> logger)
{
    /// <summary>Why <paramref name="publicKey"/> is not acceptable, or null (an empty key is: older agents send none).</summary>
    public static string? Validate(ByteString publicKey)
    {
        if (publicKey.IsEmpty)
        {
            return null;
        }

        try
        {
            EncryptionKeys.ImportPublic(publicKey.Span).Dispose();
            return null;
        }
        catch (SecretSealException ex)
        {
            return ex.Message;
        }
    }

    public async Task RegisterAsync(AgentIdentity agent, ByteString publicKey, CancellationToken cancellationToken)
    {
        if (publicKey.IsEmpty)
        {
            return;
        }

        if (Validate(publicKey) is { } problem)
        {
            Log.KeyRefused(logger, agent.Name, problem);
            return;
        }

        await using var command = dataSource.CreateCommand(
            "update agents set encryption_public_key = $2 where id = $1 and encryption_public_key is distinct from $2");
        command.Parameters.AddWithValue(agent.Id);
        command.Parameters.AddWithValue(NpgsqlDbType.Bytea, publicKey.ToByteArray());
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            Log.KeyRegistered(logger, agent.Name, EncryptionKeys.Fingerprint(publicKey.Span));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3400, LogLevel.Information, "Agent {Name} registered encryption key {Fingerprint}; secrets sealed for an earlier key need 'fleetctl secrets grant {Name}'")]
        public static partial void KeyRegistered(ILogger logger, string name, string fingerprint);

        [LoggerMessage(3401, LogLevel.Warning, "Ignored the encryption key agent {Name} announced: {Reason}")]
        public static partial void KeyRefused(ILogger logger, string name, string reason);
    }
}
