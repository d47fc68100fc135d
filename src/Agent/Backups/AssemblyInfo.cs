using System.Runtime.CompilerServices;

// The backup benchmark drives the pipeline directly (bench/BackupBench).
[assembly: InternalsVisibleTo("BackupBench")]
