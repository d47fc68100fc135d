using Fleet.Contracts.V1;
using Fleet.Controller.Hosting;
using Fleet.Controller.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fleet.Controller.Operators;

/// <summary>On first start (no admin token in the database) creates one and writes it to DATA/admin.token (0600).</summary>
internal sealed partial class AdminTokenBootstrap(TokenStore tokens, IOptions<ControllerOptions> options, ILogger<AdminTokenBootstrap> logger)
{
    public string TokenPath => Path.Combine(options.Value.Data, "admin.token");

    /// <summary>Runs under the migrations lock, so two replicas starting together create one token.</summary>
    public async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("select exists (select 1 from tokens where role = 'admin')", connection))
        {
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                if (!File.Exists(TokenPath))
                {
                    // A new data folder on an existing database: the secret cannot be recovered.
                    Log.NoTokenFile(logger, TokenPath);
                }

                return;
            }
        }

        var created = await tokens.CreateAsync(connection, TokenRole.Admin, lifetime: null, "bootstrap admin token", maxUses: null, cancellationToken);
        SecretFile.WriteSecret(TokenPath, created.Token + "\n");
        Log.Created(logger, created.Id, TokenPath);
    }

    private static partial class Log
    {
        [LoggerMessage(1310, LogLevel.Warning, "Created the first admin token {TokenId}; it is in {Path} (readable by root only)")]
        public static partial void Created(ILogger logger, string tokenId, string path);

        [LoggerMessage(1311, LogLevel.Warning, "The database already has an admin token but {Path} does not exist; use the admin token you saved from the first start")]
        public static partial void NoTokenFile(ILogger logger, string path);
    }
}
