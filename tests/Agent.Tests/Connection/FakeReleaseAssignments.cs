using System.Collections.Concurrent;
using Fleet.Agent.Connection;
using Fleet.Contracts.V1;

namespace Fleet.Agent.Tests.Connection;

/// <summary>Records posted assignments; reports a fixed list as applied.</summary>
internal sealed class FakeReleaseAssignments(params AppliedRelease[] applied) : IReleaseAssignments
{
    public ConcurrentQueue<ReleaseAssignment> Posted { get; } = new();

    public IReadOnlyList<AppliedRelease> Applied() => applied;

    public void Post(ReleaseAssignment assignment) => Posted.Enqueue(assignment);
}
