using System.Globalization;
using System.Text.RegularExpressions;

namespace Fleet.Controller.Persistence;

/// <summary>One versioned SQL file, named <c>NNNN_description.sql</c>.</summary>
internal sealed partial record Migration(int Version, string Name, string Sql)
{
    public const string ResourcePrefix = "Fleet.Controller.Persistence.Migrations.";

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql\z")]
    private static partial Regex FileName();

    /// <summary>Sorts migrations by version and refuses malformed names and duplicate versions.</summary>
    /// <exception cref="InvalidOperationException">A name is malformed or a version repeats.</exception>
    public static IReadOnlyList<Migration> Order(IEnumerable<(string FileName, string Sql)> files)
    {
        var migrations = new List<Migration>();
        foreach (var (fileName, sql) in files)
        {
            var match = FileName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"migration '{fileName}' must be named NNNN_description.sql");
            }

            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, sql));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two migrations share version {duplicate.Key:D4}: {string.Join(", ", duplicate.Select(m => m.Name))}");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    /// <summary>The migrations compiled into this assembly.</summary>
    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migration).Assembly;
        return Order(assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (n[ResourcePrefix.Length..], reader.ReadToEnd());
            }));
    }
}
