using System.Runtime.CompilerServices;

// bench/AcmeBench drives the ACME client directly (bench/acme.sh compares it with lego).
[assembly: InternalsVisibleTo("AcmeBench")]
