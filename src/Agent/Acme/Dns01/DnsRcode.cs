namespace Fleet.Agent.Acme.Dns01;

/// <summary>Names of DNS response codes (RFC 1035, RFC 2136, RFC 8945) for error messages.</summary>
internal static class DnsRcode
{
    public static string Name(int code) => code switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        16 => "BADSIG",
        17 => "BADKEY",
        18 => "BADTIME",
        _ => "RCODE" + code,
    };
}

/// <summary>A DNS UPDATE failed; the message says why in operator terms.</summary>
internal sealed class DnsUpdateException(string message, Exception? inner = null) : Exception(message, inner);
