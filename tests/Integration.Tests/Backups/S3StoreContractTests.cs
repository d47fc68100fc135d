using Fleet.Agent.Backups;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Backups;

[Collection(BackupTestGroup.Name)]
public sealed class S3StoreContractTests(BackupFixture fixture) : BackupStoreContractTests(fixture)
{
    internal override BackupDeclaration NewDeclaration() =>
        Declaration(TestEnvironment.Require("FLEET_TEST_S3_ENDPOINT", "S3 server (s3rver)"), Guid.NewGuid().ToString("N"));

    internal override (BackupDeclaration, string) UnreachableDeclaration() =>
        (Declaration($"http://127.0.0.1:{BackupFixture.ClosedPort()}", "unreachable"), "Connection refused");

    private BackupDeclaration Declaration(string endpoint, string prefix)
    {
        var declaration = Fixture.Declaration($"s3://{TestEnvironment.Require("FLEET_TEST_S3_BUCKET", "S3 server (s3rver)")}/{prefix}");
        declaration.Store.Endpoint = endpoint;
        declaration.Store.PartSizeMiB = 5;
        BackupFixture.UseS3rverCredentials();
        return declaration;
    }
}
