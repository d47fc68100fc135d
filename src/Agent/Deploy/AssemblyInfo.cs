using System.Runtime.CompilerServices;

// The swap benchmark drives the swap engine directly (bench/SwapBench).
[assembly: InternalsVisibleTo("SwapBench")]
