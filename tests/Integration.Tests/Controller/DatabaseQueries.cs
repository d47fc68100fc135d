using Fleet.Integration.Tests.Infrastructure;
using Npgsql;

namespace Fleet.Integration.Tests.Controller;

internal static class DatabaseQueries
{
    /// <summary>Reads (or changes) the controller's state directly, to check what was committed.</summary>
    public static async Task<object?> ScalarAsync(this PostgresDatabase database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
