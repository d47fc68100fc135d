namespace Fleet.Agent.Backups;

/// <summary>A backup, restore or verify failed; the message is operator-facing and holds no secret.</summary>
internal sealed class BackupException : Exception
{
    public BackupException(string message)
        : base(message)
    {
    }

    public BackupException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
