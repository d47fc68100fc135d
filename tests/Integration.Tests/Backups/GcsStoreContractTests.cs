using Fleet.Agent.Backups;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Backups;

[Collection(BackupTestGroup.Name)]
public sealed class GcsStoreContractTests(BackupFixture fixture) : BackupStoreContractTests(fixture)
{
    internal override BackupDeclaration NewDeclaration() =>
        Declaration(TestEnvironment.Require("FLEET_TEST_GCS_ENDPOINT", "GCS emulator"), Guid.NewGuid().ToString("N"));

    internal override (BackupDeclaration, string) UnreachableDeclaration() =>
        (Declaration($"http://127.0.0.1:{BackupFixture.ClosedPort()}", "unreachable"), "Connection refused");

    private BackupDeclaration Declaration(string endpoint, string prefix)
    {
        var declaration = Fixture.Declaration($"gs://{TestEnvironment.Require("FLEET_TEST_GCS_BUCKET", "GCS emulator")}/{prefix}");
        declaration.Store.Endpoint = endpoint;
        declaration.Store.Anonymous = true;
        // The emulator keeps only the first chunk of a multi-chunk upload: one chunk holds the test dump.
        declaration.Store.PartSizeMiB = 64;
        return declaration;
    }
}
