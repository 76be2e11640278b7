using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Auth;
using OpenList.DriverHost.Config;

namespace OpenList.DriverHost.DriverHost.Tests.AuthTests;

public sealed class BasicAuthenticationMiddlewareTests
{
    private const string Password = "p@ss:wörd 密码";
    private static readonly string PasswordHash = PasswordHasher.Hash(Password, 1000);

    private readonly ManualTimeProvider _time = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly LoginLockout _lockout;
    private readonly UserDirectory _users;
    private readonly BasicAuthenticationMiddleware _middleware;
    private int _nextCalls;

    public BasicAuthenticationMiddlewareTests()
    {
        _lockout = new LoginLockout(_time);
        _users = new UserDirectory([new UserRecord { Username = "alice", PasswordHash = PasswordHash, Permissions = ["read", "write"], BasePath = "/home" }], _time);
        _middleware = new BasicAuthenticationMiddleware(
            _ => { _nextCalls++; return Task.CompletedTask; },
            _users,
            _lockout,
            _logs.CreateFactory().CreateLogger<BasicAuthenticationMiddleware>(),
            ["/healthz"]);
    }

    [Fact]
    public async Task Missing_credentials_get_401_with_the_basic_challenge()
    {
        var context = await Send("PROPFIND", "/dav/");

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal("Basic realm=\"OpenList.DriverHost\", charset=\"UTF-8\"", context.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal(0, _nextCalls);
        Assert.Null(context.GetUser());
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("bob", Password)]
    public async Task Wrong_credentials_get_401_never_403(string username, string password)
    {
        var context = await Send("GET", "/dav/a.txt", Basic(username, password));

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal(BasicAuthenticationMiddleware.Challenge, context.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal(0, _nextCalls);
    }

    [Theory]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic bm9jb2xvbg==")]
    [InlineData("Basic /w==")]
    public async Task Malformed_basic_credentials_get_401_and_count_as_failures(string header)
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(401, (await Send("GET", "/dav/", header)).Response.StatusCode);
        }

        Assert.Equal(429, (await Send("GET", "/dav/", header)).Response.StatusCode);
    }

    [Fact]
    public async Task Right_credentials_set_the_user_feature_and_call_next()
    {
        var context = await Send("PUT", "/dav/home/x", Basic("alice", Password));

        Assert.Equal(1, _nextCalls);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(new AuthenticatedUser("alice", CanWrite: true, "/home"), context.GetUser());
        Assert.Same(context.GetUser(), context.Features.Get<AuthenticatedUser>());
        Assert.Equal("alice", context.User.Identity?.Name);
    }

    [Fact]
    public async Task Options_passes_without_credentials_even_when_blocked()
    {
        await BlockClient();

        var context = await Send("OPTIONS", "/dav/");

        Assert.Equal(1, _nextCalls);
        Assert.Equal(AuthenticatedUser.AnonymousReader, context.GetUser());
        Assert.False(context.GetUser()!.CanWrite);
    }

    [Fact]
    public async Task Blocked_client_gets_429_with_retry_after_even_with_the_right_password()
    {
        await BlockClient();

        var context = await Send("GET", "/dav/", Basic("alice", Password));

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("300", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal(0, _nextCalls);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(200, (await Send("GET", "/dav/", Basic("alice", Password))).Response.StatusCode);
    }

    [Fact]
    public async Task Requests_without_credentials_do_not_count_towards_the_lockout()
    {
        for (var i = 0; i < 10; i++)
        {
            await Send("PROPFIND", "/dav/");
        }

        Assert.False(_lockout.IsBlocked(IPAddress.Loopback, out _));
    }

    [Fact]
    public async Task Exempt_paths_need_no_credentials()
    {
        var context = await Send("GET", "/healthz");

        Assert.Equal(1, _nextCalls);
        Assert.Null(context.GetUser());
        Assert.Equal(401, (await Send("GET", "/healthzx")).Response.StatusCode);
    }

    [Fact]
    public async Task Without_users_everyone_is_an_anonymous_writer()
    {
        _users.Replace([]);

        var context = await Send("DELETE", "/dav/x");

        Assert.Equal(1, _nextCalls);
        Assert.Equal(new AuthenticatedUser("anonymous", CanWrite: true, "/") { IsAnonymous = true }, context.GetUser());
    }

    [Fact]
    public async Task Logs_name_the_user_and_ip_but_never_the_password_or_header()
    {
        var wrong = Basic("alice", "hunter2-wrong");
        await BlockClient(wrong);
        await Send("GET", "/dav/", Basic("alice", Password));
        _time.Advance(TimeSpan.FromMinutes(5));
        await Send("GET", "/dav/", Basic("alice", Password));

        var text = _logs.AllText;
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("alice", StringComparison.Ordinal) && e.Text.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Text.Contains("blocked", StringComparison.Ordinal));
        foreach (var secret in new[] { "hunter2-wrong", Password, wrong, wrong["Basic ".Length..], Basic("alice", Password)["Basic ".Length..], PasswordHash })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private async Task BlockClient(string? header = null)
    {
        for (var i = 0; i < 5; i++)
        {
            await Send("GET", "/dav/", header ?? Basic("alice", "wrong"));
        }

        Assert.True(_lockout.IsBlocked(IPAddress.Loopback, out _));
        _nextCalls = 0;
    }

    private async Task<HttpContext> Send(string method, string path, string? authorization = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        await _middleware.InvokeAsync(context);
        return context;
    }

    private static string Basic(string username, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
}
