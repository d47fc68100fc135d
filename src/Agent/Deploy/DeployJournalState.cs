namespace Fleet.Agent.Deploy;

/// <summary>What the journal knows about one service of one app.</summary>
/// <param name="App">App name.</param>
/// <param name="Service">Service name within the app.</param>
/// <param name="Applied">The release serving traffic (its slot, port and endpoint), null before the first success.</param>
/// <param name="Pending">A swap in progress; a pending record left after a crash is resolved by the Reconciler.</param>
/// <param name="Previous">
/// The release that served before <paramref name="Applied"/>, kept for rollback (its image stays local); with nothing applied,
/// the first release that was rolled back (withdrawn), kept so that its sequence is never admitted again.
/// </param>
internal sealed record ServiceJournal(string App, string Service, SlotRecord? Applied, SlotRecord? Pending, SlotRecord? Previous)
{
    public string Key => KeyOf(App, Service);

    public static string KeyOf(string app, string service) => $"{app}/{service}";
}

/// <summary>One release of a service in one slot. <see cref="Endpoint"/> is where the edge proxy sends traffic.</summary>
internal sealed record SlotRecord(long Release, string Slot, int Port, string Endpoint, ServiceSpec Spec, DateTimeOffset At);

/// <summary>The serialized journal file.</summary>
internal sealed record DeployJournalFile(int Version, IReadOnlyList<ServiceJournal> Services);

/// <summary>An applied service endpoint, for the edge proxy.</summary>
internal sealed record ActiveEndpoint(string App, string Service, long Release, string Slot, string Endpoint);
