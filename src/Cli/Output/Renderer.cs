using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Fleet.Cli.Output;

/// <summary>Writes command results to stdout: Spectre.Console renderables, or json.</summary>
internal sealed class Renderer
{
    // Wide enough that piped tables keep one row per line; a terminal reports its own width.
    private const int UnboundedWidth = 250;

    private readonly TextWriter _output;
    private readonly IAnsiConsole _console;
    private readonly bool _isTerminal;

    public Renderer(TextWriter output, bool isTerminal, bool noColor)
    {
        _output = output;
        _isTerminal = isTerminal;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isTerminal && !noColor ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal && !noColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!isTerminal)
        {
            _console.Profile.Width = UnboundedWidth;
        }
    }

    /// <summary>True when stdout is a terminal: live displays redraw in place; otherwise commands print plain lines.</summary>
    public bool IsTerminal => _isTerminal;

    public void Write(IRenderable renderable) => _console.Write(renderable);

    /// <summary>Redraws <paramref name="initial"/> in place while <paramref name="run"/> updates it (terminals only).</summary>
    public Task LiveAsync(IRenderable initial, Func<LiveDisplayContext, Task> run) => _console.Live(initial).StartAsync(run);

    /// <summary>A question left open on its line for the answer typed after it.</summary>
    public void Prompt(string text)
    {
        _output.Write(text);
        _output.Flush();
    }

    /// <summary>A plain line, never interpreted as markup (it may hold user data).</summary>
    public void Line(string text) => _output.WriteLine(text);

    public void Json<T>(T value, JsonTypeInfo<T> type)
    {
        _output.WriteLine(JsonSerializer.Serialize(value, type));
    }

    /// <summary>A table in the house style: simple borders, headers as given.</summary>
    public static Table Table(params string[] headers)
    {
        var table = new Table { Border = TableBorder.Simple };
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)) { NoWrap = true });
        }

        return table;
    }
}
