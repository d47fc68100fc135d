using System.CommandLine;
using Fleet.Core.Naming;

namespace Fleet.Cli.Agents;

internal static class AgentNames
{
    /// <summary>The NAME argument of agents show/revoke, refusing names no agent can have.</summary>
    public static Argument<string> CreateArgument()
    {
        var argument = new Argument<string>("NAME") { Description = "The agent's name, e.g. web-1" };
        argument.Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>();
            if (!NameRules.DottedName().IsMatch(name))
            {
                result.AddError($"'{name}' is not an agent name: lowercase letters, digits, '.' and '-', starting with a letter or digit, at most 63 characters");
            }
        });
        return argument;
    }
}
