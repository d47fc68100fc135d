using Microsoft.Extensions.Options;

namespace Fleet.Agent.Deploy;

/// <summary>Refuses a pull when the disk holding Docker's data is nearly full.</summary>
internal sealed class DiskSpaceGuard(IOptions<DeployOptions> options, Func<string, long>? freeBytesOf = null)
{
    private readonly Func<string, long> _freeBytesOf = freeBytesOf ?? (path => new DriveInfo(path).AvailableFreeSpace);

    /// <summary>Null when there is room, else the reason to report.</summary>
    public string? Check(string path)
    {
        var minimum = options.Value.MinFreeDiskBytes;
        if (minimum == 0)
        {
            return null;
        }

        var free = _freeBytesOf(path);
        return free >= minimum
            ? null
            : FormattableString.Invariant($"not enough disk space on {path}: {free} bytes free, {minimum} required");
    }
}
