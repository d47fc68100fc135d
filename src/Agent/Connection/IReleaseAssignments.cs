using Fleet.Contracts.V1;

namespace Fleet.Agent.Connection;

/// <summary>The release side of the Connect stream: assignments in, and what Hello reports as applied.</summary>
internal interface IReleaseAssignments
{
    /// <summary>What this agent runs now, for Hello.applied.</summary>
    IReadOnlyList<AppliedRelease> Applied();

    /// <summary>Queues an assignment and returns at once; its progress is reported through the event outbox.</summary>
    void Post(ReleaseAssignment assignment);
}
