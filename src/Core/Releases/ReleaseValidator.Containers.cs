using System.Text.RegularExpressions;

namespace Fleet.Core.Releases;

/// <summary>Rules of a service's volumes, tmpfs mounts, capabilities, resources and restart policy.</summary>
public static partial class ReleaseValidator
{
    private static void ValidateMounts(List<ValidationError> errors, string path, ServiceSpec service)
    {
        var targets = new List<string>();
        for (var i = 0; i < service.Volumes.Count; i++)
        {
            var volume = service.Volumes[i];
            var refusal = MountRules.Refusal(volume.Source, service.Capabilities, MountRules.DefaultAgentStateFolder);
            Check(errors, $"{path}.volumes[{i}]", refusal is null, refusal!);
            CheckMountTarget(errors, $"{path}.volumes[{i}]", volume.Target);
            targets.Add(volume.Target);
        }

        for (var i = 0; i < (service.Tmpfs?.Count ?? 0); i++)
        {
            var tmpfs = service.Tmpfs![i];
            CheckMountTarget(errors, $"{path}.tmpfs[{i}]", tmpfs.Target);
            Check(errors, $"{path}.tmpfs[{i}]", tmpfs.Options is null || TmpfsOptions().IsMatch(tmpfs.Options),
                $"'{tmpfs.Options}' are not tmpfs options like size=64m,mode=1777");
            targets.Add(tmpfs.Target);
        }

        foreach (var twice in targets.GroupBy(t => t.TrimEnd('/'), StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new ValidationError($"{path}.volumes", $"'{twice.Key}' is mounted more than once"));
        }

        foreach (var capability in service.Capabilities ?? [])
        {
            Check(errors, $"{path}.capabilities", MountRules.KnownCapabilities.Contains(capability),
                $"unknown capability '{capability}'; known: {string.Join(", ", MountRules.KnownCapabilities)}");
        }
    }

    private static void ValidateLimits(List<ValidationError> errors, string path, ServiceSpec service)
    {
        if (service.Resources is { } resources)
        {
            Check(errors, path + ".resources.memory", resources.MemoryBytes is null or (>= 6L << 20 and <= 1L << 40), "must be between 6m and 1024g (Docker's minimum is 6m)");
            Check(errors, path + ".resources.cpus", resources.Cpus is null or (>= 0.01m and <= 1024m), "must be between 0.01 and 1024 cores");
        }

        if (service.Restart is { } restart)
        {
            Check(errors, path + ".restart", restart.MaxRetries is null || restart.Policy == RestartPolicyType.OnFailure, "only on-failure takes a retry count");
            Check(errors, path + ".restart", restart.MaxRetries is null or (>= 1 and <= 1000), "the retry count must be between 1 and 1000");
        }
    }

    private static void CheckMountTarget(List<ValidationError> errors, string path, string target) =>
        Check(errors, path, target.StartsWith('/') && target.Trim('/').Length > 0 && !target.Split('/').Contains(".."),
            $"the target '{target}' must be an absolute path inside the container, not '/', without '..'");

    [GeneratedRegex(@"^[a-z]+(=[0-9a-z]+)?(,[a-z]+(=[0-9a-z]+)?)*\z")]
    private static partial Regex TmpfsOptions();
}
