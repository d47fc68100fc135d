using System.Diagnostics;

namespace Fleet.Controller.Persistence;

internal static class ProcessRunner
{
    /// <summary>Runs a program to completion; a non-zero exit throws with its output, for the operator.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken, bool check = true)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (await stdout) + (await stderr);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', start.ArgumentList)} failed (exit {process.ExitCode}): {output.Trim()}");
        }

        return check ? output : process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
