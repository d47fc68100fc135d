using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Fleet.Controller.Audit;
using Fleet.Controller.Operators;
using Grpc.Core;

namespace Fleet.Controller.Backups;

/// <summary>fleetctl backups: lists stored runs; run, restore and verify go to the connected agent and wait for its answer.</summary>
[RequiresRole(TokenRole.Viewer)]
internal sealed class BackupsGrpcService(BackupRunStore runs, AgentCommands commands, AuditLog audit) : BackupsService.BackupsServiceBase
{
    /// <summary>A backup or restore of a large database takes long; the agent reports the run either way.</summary>
    internal static readonly TimeSpan CommandTimeout = TimeSpan.FromHours(2);

    public override async Task<ListBackupsResponse> ListBackups(ListBackupsRequest request, ServerCallContext context)
    {
        if (request.Limit is < 0 or > 1000)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "limit must be between 1 and 1000"));
        }

        var response = new ListBackupsResponse();
        response.Runs.AddRange(await runs.ListAsync(request.Agent, request.App, request.Name, request.Operation, request.Limit == 0 ? 100 : request.Limit, context.CancellationToken));
        return response;
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<RunBackupResponse> RunBackup(RunBackupRequest request, ServerCallContext context)
    {
        Require(request.Agent, request.App, request.Name);
        var result = await RunAsync(request.Agent, new AgentCommand { RunBackup = new RunBackupCommand { App = request.App, Name = request.Name } }, context);
        return new RunBackupResponse { Report = result.Backup, Detail = result.Detail };
    }

    [RequiresRole(TokenRole.Admin)]
    public override async Task<RestoreBackupResponse> RestoreBackup(RestoreBackupRequest request, ServerCallContext context)
    {
        Require(request.Agent, request.App, request.Name);
        if (request.BackupId.Length == 0 || request.ToDatabase.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a restore needs the backup id (fleetctl backups list) and the database to create"));
        }

        // Audited when asked for, whatever the agent then answers: the attempt is what an auditor needs.
        await audit.AppendAsync(
            "backup.restore", OperatorIdentity.From(context).TokenId, $"{request.App}/{request.Name}",
            $"backup {request.BackupId} on agent {request.Agent} into database {request.ToDatabase}", context.CancellationToken);

        var result = await RunAsync(request.Agent, new AgentCommand
        {
            RestoreBackup = new RestoreBackupCommand { App = request.App, Name = request.Name, BackupId = request.BackupId, ToDatabase = request.ToDatabase },
        }, context);
        return new RestoreBackupResponse { Report = result.Backup, Detail = result.Detail };
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<VerifyBackupResponse> VerifyBackup(VerifyBackupRequest request, ServerCallContext context)
    {
        Require(request.Agent, request.App, request.Name);
        var result = await RunAsync(request.Agent, new AgentCommand { VerifyBackup = new VerifyBackupCommand { App = request.App, Name = request.Name, BackupId = request.BackupId } }, context);
        return new VerifyBackupResponse { Report = result.Backup, Detail = result.Detail };
    }

    private async Task<CommandResult> RunAsync(string agent, AgentCommand command, ServerCallContext context)
    {
        CommandResult result;
        try
        {
            result = await commands.RunAsync(agent, command, CommandTimeout, context.CancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
        {
            // The controller is up; the agent is not connected (fleetctl reads Unavailable as "controller unreachable").
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Status.Detail));
        }

        return result.Ok
            ? result
            : throw new RpcException(new Status(StatusCode.FailedPrecondition, $"agent '{agent}': {result.Error}"));
    }

    private static void Require(string agent, string app, string name)
    {
        if (agent.Length == 0 || app.Length == 0 || name.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "name the agent, the app and the backup (--agent, --app, --name)"));
        }
    }
}
