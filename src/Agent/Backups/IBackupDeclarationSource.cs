using Microsoft.Extensions.Options;

namespace Fleet.Agent.Backups;

/// <summary>
/// Where backup declarations come from: the agent-local <c>Backups:Declarations</c> section, and the
/// <c>backups:</c> of the releases this agent applied (<see cref="ReleaseBackupDeclarations"/>).
/// </summary>
internal interface IBackupDeclarationSource
{
    IReadOnlyList<BackupDeclaration> Current { get; }

    /// <summary>Raised after <see cref="Current"/> changed (the scheduler re-reads every source).</summary>
    event EventHandler? Changed;
}

internal sealed class ConfiguredBackupDeclarations(IOptions<BackupsOptions> options) : IBackupDeclarationSource
{
    public IReadOnlyList<BackupDeclaration> Current => options.Value.Declarations;

    // The agent-local section is read once at start.
    public event EventHandler? Changed
    {
        add { }
        remove { }
    }
}

/// <summary>Every source's declarations; an agent-local declaration wins over a release's with the same app and name.</summary>
internal sealed class BackupDeclarations(IEnumerable<IBackupDeclarationSource> sources)
{
    public IReadOnlyList<IBackupDeclarationSource> Sources { get; } = [.. sources];

    public IReadOnlyList<BackupDeclaration> Current =>
        [.. Sources.SelectMany(s => s.Current).DistinctBy(d => d.KeyPath)];

    /// <summary>The declaration with this app and name; throws <see cref="BackupException"/> if none.</summary>
    public BackupDeclaration Find(string app, string name) =>
        Current.FirstOrDefault(d => d.App == app && d.Name == name)
        ?? throw new BackupException($"no backup '{app}/{name}' is declared on this agent (declared: {string.Join(", ", Current.Select(d => d.KeyPath.ToString()).DefaultIfEmpty("none"))})");
}
