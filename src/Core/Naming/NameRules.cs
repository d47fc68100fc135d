using System.Text.RegularExpressions;

namespace Fleet.Core.Naming;

/// <summary>
/// The name rules that Core, the controller, the agent and fleetctl share, so that a name one of
/// them admits is never refused by another. Every pattern ends with <c>\z</c>, the end of the text:
/// <c>$</c> also matches before a final newline, and <c>shop\n</c> would pass as a name.
/// </summary>
public static partial class NameRules
{
    /// <summary>Apps, environments, services, hooks: 1-63 lowercase letters, digits or '-', starting with a letter or digit.</summary>
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z")]
    public static partial Regex Name();

    /// <summary>Agents and certificates: as <see cref="Name"/>, with '.' too.</summary>
    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{0,62}\z")]
    public static partial Regex DottedName();

    /// <summary>A DNS name, optionally with a leading <c>*.</c> wildcard.</summary>
    [GeneratedRegex(@"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\z")]
    public static partial Regex DomainName();

    /// <summary>A Docker container name or id.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\z")]
    public static partial Regex ContainerName();
}
