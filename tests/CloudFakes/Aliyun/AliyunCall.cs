using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>An authenticated API call: who is calling with which token, and the parsed body.</summary>
internal sealed class AliyunCall(HttpContext http, AliyunFake fake, AliyunAccount account, string clientId, string accessToken, JsonRequest body)
{
    public HttpContext Http { get; } = http;

    public AliyunFake Fake { get; } = fake;

    public AliyunAccount Account { get; } = account;

    public string ClientId { get; } = clientId;

    public string AccessToken { get; } = accessToken;

    public JsonRequest Body { get; } = body;

    public DateTimeOffset Now => Fake.Time.GetUtcNow();

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The body's drive_id, which must belong to the caller. Call under the fake's lock.</summary>
    public AliyunDrive Drive(string field = "drive_id")
    {
        var drive = Fake.FindDrive(Body.RequiredString(field));
        return drive is not null && drive.Account == Account ? drive : throw AliyunErrors.DriveNotFound();
    }

    /// <summary>A live node of the drive named by <paramref name="field"/> (default file_id). Call under the fake's lock.</summary>
    public FileNode Node(AliyunDrive drive, string field = "file_id") =>
        drive.Tree.GetLive(Body.RequiredString(field)) ?? throw AliyunErrors.NotFound();

    /// <summary>Like <see cref="Node"/> but the node must be a folder.</summary>
    public FileNode Folder(AliyunDrive drive, string field)
    {
        var node = Node(drive, field);
        return node.IsFolder ? node : throw AliyunErrors.Invalid(field, "must be a folder");
    }
}
