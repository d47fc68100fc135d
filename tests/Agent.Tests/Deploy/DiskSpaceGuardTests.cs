using Fleet.Agent.Deploy;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Tests.Deploy;

public sealed class DiskSpaceGuardTests
{
    [Fact]
    public void Check_FreeSpaceBelowThreshold_RefusesWithNumbers()
    {
        var guard = new DiskSpaceGuard(Options.Create(new DeployOptions { MinFreeDiskBytes = 1000 }), _ => 999);

        Assert.Equal("not enough disk space on /data: 999 bytes free, 1000 required", guard.Check("/data"));
        Assert.Null(new DiskSpaceGuard(Options.Create(new DeployOptions { MinFreeDiskBytes = 1000 }), _ => 1000).Check("/data"));
    }
}
