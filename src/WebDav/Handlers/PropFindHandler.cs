using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Properties;
using OpenList.DriverHost.WebDav.Store;
using OpenList.DriverHost.WebDav.Xml;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>PROPFIND (RFC 4918 §9.1): the 207 body is streamed while the store lists.</summary>
internal static class PropFindHandler
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<DeadProperty>> NoDeadProperties = new Dictionary<string, IReadOnlyList<DeadProperty>>();

    private enum Mode
    {
        AllProp,
        PropName,
        Named,
    }

    /// <summary>What the body asked for, worked out once per request.</summary>
    private sealed record Query(Mode Mode, IReadOnlyList<XName> Names, bool WantsDead, DavQuota? Quota);

    public static async Task HandleAsync(DavRequest request)
    {
        var ct = request.Aborted;
        var document = await XmlBodyReader.ReadAsync(request.Http.Request, request.Options.MaxXmlBodyBytes, ct).ConfigureAwait(false);
        var (mode, names) = ParseBody(document);

        var item = await request.Store.GetItemAsync(request.Path, ct).ConfigureAwait(false)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{request.Path} not found");

        var depth = request.ParseDepth(fallback: -1);
        if (!item.IsCollection)
        {
            depth = 0; // litmus and others send no Depth to files; infinity on a file is the file alone
        }
        else if (depth < 0 && !request.Options.AllowPropfindInfinity)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "PROPFIND with Depth: infinity is not allowed here", "propfind-finite-depth");
        }

        var wantsDead = mode != Mode.Named || names.Any(n => !LiveProperties.IsLive(n));
        var wantsQuota = mode == Mode.Named && names.Any(n => n == DavNames.QuotaAvailableBytes || n == DavNames.QuotaUsedBytes);
        var query = new Query(mode, names, wantsDead, wantsQuota ? await request.Store.GetQuotaAsync(request.Path, ct).ConfigureAwait(false) : null);

        var own = wantsDead ? await request.DeadProperties.GetAsync(item.Path.Value, ct).ConfigureAwait(false) : [];
        await using var writer = new MultistatusWriter(request.Http.Response, request.Options.PropfindFlushEvery);
        await WriteResponseAsync(request, writer, item, query, own).ConfigureAwait(false);
        if (depth != 0)
        {
            await WriteMembersAsync(request, writer, item.Path, depth, query).ConfigureAwait(false);
        }

        await writer.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static async Task WriteMembersAsync(DavRequest request, MultistatusWriter writer, DavPath collection, int depth, Query query)
    {
        var dead = query.WantsDead
            ? await request.DeadProperties.GetMembersAsync(collection.Value, request.Aborted).ConfigureAwait(false)
            : NoDeadProperties;
        List<DavPath>? subCollections = depth < 0 ? [] : null;
        await foreach (var member in request.Store.ListAsync(collection, request.Aborted).ConfigureAwait(false))
        {
            await WriteResponseAsync(request, writer, member, query, dead.GetValueOrDefault(member.Path.Value) ?? []).ConfigureAwait(false);
            if (member.IsCollection)
            {
                subCollections?.Add(member.Path);
            }
        }

        foreach (var sub in subCollections ?? [])
        {
            await WriteMembersAsync(request, writer, sub, depth, query).ConfigureAwait(false);
        }
    }

    private static async Task WriteResponseAsync(DavRequest request, MultistatusWriter w, DavItem item, Query query, IReadOnlyList<DeadProperty> dead)
    {
        var (mode, names, _, quota) = query;
        var locks = mode == Mode.Named && !names.Contains(DavNames.LockDiscovery) ? [] : request.Locks.Covering(item.Path);
        string Href(DavPath p) => request.Href(p, isCollection: false);

        w.BeginResponse(request.Href(item.Path, item.IsCollection));
        switch (mode)
        {
            case Mode.PropName:
                w.BeginPropstat();
                w.BeginProp();
                foreach (var name in LiveProperties.AllProp.Where(n => LiveProperties.Has(n, item, quota)))
                {
                    w.WriteEmptyProperty(name);
                }

                foreach (var d in dead)
                {
                    w.WriteEmptyProperty(d.Name);
                }

                w.EndElement();
                w.WriteStatus(200);
                w.EndElement();
                break;

            case Mode.AllProp:
                w.BeginPropstat();
                w.BeginProp();
                foreach (var name in LiveProperties.AllProp.Where(n => LiveProperties.Has(n, item, quota)))
                {
                    LiveProperties.Write(w, name, item, quota, locks, Href);
                }

                foreach (var d in dead)
                {
                    d.Element.WriteTo(w.Xml);
                }

                var included = names.Where(n => LiveProperties.IsLive(n) && !LiveProperties.AllProp.Contains(n) && LiveProperties.Has(n, item, quota));
                foreach (var name in included)
                {
                    LiveProperties.Write(w, name, item, quota, locks, Href);
                }

                w.EndElement();
                w.WriteStatus(200);
                w.EndElement();
                break;

            default:
                var missing = new List<XName>();
                var found = false;
                foreach (var name in names)
                {
                    if (LiveProperties.IsLive(name))
                    {
                        if (LiveProperties.Has(name, item, quota))
                        {
                            if (!found)
                            {
                                w.BeginPropstat();
                                w.BeginProp();
                                found = true;
                            }

                            LiveProperties.Write(w, name, item, quota, locks, Href);
                        }
                        else
                        {
                            missing.Add(name);
                        }
                    }
                    else if (dead.FirstOrDefault(d => d.Name == name) is { } deadProp)
                    {
                        if (!found)
                        {
                            w.BeginPropstat();
                            w.BeginProp();
                            found = true;
                        }

                        deadProp.Element.WriteTo(w.Xml);
                    }
                    else
                    {
                        missing.Add(name);
                    }
                }

                if (found)
                {
                    w.EndElement();
                    w.WriteStatus(200);
                    w.EndElement();
                }

                if (missing.Count > 0)
                {
                    w.BeginPropstat();
                    w.BeginProp();
                    foreach (var name in missing)
                    {
                        w.WriteEmptyProperty(name);
                    }

                    w.EndElement();
                    w.WriteStatus(404);
                    w.EndElement();
                }

                break;
        }

        await w.EndResponseAsync(request.Aborted).ConfigureAwait(false);
    }

    private static (Mode Mode, IReadOnlyList<XName> Names) ParseBody(XDocument? document)
    {
        if (document is null)
        {
            return (Mode.AllProp, []); // an empty body means allprop (Windows sends Content-Length: 0)
        }

        var root = document.Root!;
        if (root.Name != DavNames.PropFind)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "PROPFIND body must be a DAV:propfind element");
        }

        // Unknown children are ignored (litmus propextended sends <foobar/> before <allprop/>).
        if (root.Element(DavNames.PropName) is not null)
        {
            return (Mode.PropName, []);
        }

        if (root.Element(DavNames.AllProp) is not null)
        {
            var include = root.Element(DavNames.Include)?.Elements().Select(e => e.Name).ToList() ?? [];
            return (Mode.AllProp, include);
        }

        if (root.Element(DavNames.Prop) is { } prop)
        {
            return (Mode.Named, prop.Elements().Select(e => e.Name).Distinct().ToList());
        }

        return (Mode.AllProp, []);
    }
}
