using System.Diagnostics;

namespace Fleet.Agent.Acme;

/// <summary>Runs a declaration's reload action after installation: container signal, command, then listeners.</summary>
internal sealed class CertificateReloader(IContainerSignaller containers, IEnumerable<ICertificateInstalledListener> listeners)
{
    /// <summary>Returns null when everything reloaded, else one message naming what failed.</summary>
    public async Task<string?> ReloadAsync(ReloadDeclaration reload, InstalledCertificate installed, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        if ((reload.Container ?? reload.Service) is { Length: > 0 } target)
        {
            try
            {
                await (reload.Container is not null
                    ? containers.SignalAsync(target, reload.Signal, cancellationToken)
                    : containers.SignalServiceAsync(target.Split('/')[0], target.Split('/')[1], reload.Signal, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add($"{reload.Signal} to {(reload.Container is null ? "service" : "container")} {target} failed: {ex.Message}");
            }
        }

        if (reload.Command.Count > 0 && await RunAsync(reload.Command, reload.CommandTimeout, cancellationToken) is { } error)
        {
            failures.Add(error);
        }

        foreach (var listener in listeners)
        {
            try
            {
                await listener.CertificateInstalledAsync(installed, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add($"{listener.GetType().Name} failed: {ex.Message}");
            }
        }

        return failures.Count == 0 ? null : "reload: " + string.Join("; ", failures);
    }

    private static async Task<string?> RunAsync(List<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"reload command {command[0]} could not start: {ex.Message}";
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(timer.Token);
            _ = process.StandardOutput.ReadToEndAsync(timer.Token);
            try
            {
                await process.WaitForExitAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return $"reload command {command[0]} did not finish within {timeout:g}";
            }

            if (process.ExitCode != 0)
            {
                var detail = (await stderr).Trim();
                return $"reload command {command[0]} exited with {process.ExitCode}{(detail.Length > 0 ? ": " + detail[..Math.Min(detail.Length, 300)] : string.Empty)}";
            }
        }

        return null;
    }
}
