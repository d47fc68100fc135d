using Fleet.Agent.Backups;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Backups;

[Collection(BackupTestGroup.Name)]
public sealed class BackupPreDeployTests(BackupFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BackupService Backups => fixture.Services.GetRequiredService<BackupService>();

    [Fact]
    public async Task RunPreDeployAsync_OptionalOneFails_ProceedsWithTheRequiredOneStored()
    {
        var required = PreDeploy("required", optional: false);
        var optional = PreDeploy("optional", optional: true);
        optional.Port = BackupFixture.ClosedPort();
        var scheduledOnly = fixture.Declaration(required.Store.Url, name: "nightly");

        var result = await Backups.RunPreDeployAsync([required, optional, scheduledOnly], releaseSequence: 7, Ct);

        Assert.True(result.MayProceed, result.Reason);
        Assert.Equal([true, false], result.Runs.Select(r => r.Succeeded));
        Assert.All(result.Runs, r => Assert.Equal((BackupTrigger.PreDeploy, 7L), (r.Report.Trigger, r.Report.ReleaseSequence!.Value)));
        Assert.Equal(7L, (await Backups.ListAsync(required, Ct)).Single().ReleaseSequence);
    }

    [Fact]
    public async Task RunPreDeployAsync_RequiredOneFails_BlocksTheDeployNamingIt()
    {
        var required = PreDeploy("required", optional: false);
        required.Port = BackupFixture.ClosedPort();

        var result = await Backups.RunPreDeployAsync([required], releaseSequence: 8, Ct);

        Assert.False(result.MayProceed);
        Assert.Contains("pre-deploy backup it/required failed", result.Reason, StringComparison.Ordinal);
    }

    private BackupDeclaration PreDeploy(string name, bool optional)
    {
        var declaration = fixture.Declaration("file://" + fixture.Folder.Combine("predeploy-" + Guid.NewGuid().ToString("N")), name);
        declaration.PreDeploy = true;
        declaration.Optional = optional;
        return declaration;
    }
}
