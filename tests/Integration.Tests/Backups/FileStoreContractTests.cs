using Fleet.Agent.Backups;

namespace Fleet.Integration.Tests.Backups;

[Collection(BackupTestGroup.Name)]
public sealed class FileStoreContractTests(BackupFixture fixture) : BackupStoreContractTests(fixture)
{
    internal override BackupDeclaration NewDeclaration() =>
        Fixture.Declaration("file://" + Fixture.Folder.Combine("store-" + Guid.NewGuid().ToString("N")));

    internal override (BackupDeclaration, string) UnreachableDeclaration()
    {
        // A store folder below a regular file can never be created.
        var file = Fixture.Folder.Combine("not-a-folder-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "");
        return (Fixture.Declaration("file://" + file + "/store"), "Could not find a part of the path");
    }
}
