using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Properties;
using OpenList.DriverHost.WebDav.Store;
using OpenList.DriverHost.WebDav.Xml;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>
/// PROPPATCH (RFC 4918 §9.2): instructions applied in document order and atomically. Dead properties go to the
/// property store; <c>getlastmodified</c>, <c>Win32LastModifiedTime</c> and ownCloud's <c>lastmodified</c> set the
/// modification time; other <c>Win32*</c> properties are kept as dead properties so Windows gets 200 for each.
/// </summary>
internal static class PropPatchHandler
{
    private sealed record Instruction(XName Name, XElement? Value, bool IsRemove);

    public static async Task HandleAsync(DavRequest request)
    {
        var ct = request.Aborted;
        var item = await request.Store.GetItemAsync(request.Path, ct).ConfigureAwait(false)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{request.Path} not found");
        request.RequireWritable(request.Path, item);
        await WriteGuard.CheckAsync(request, new WriteTarget(request.Path, Subtree: false, ChangesParentMembership: false)).ConfigureAwait(false);

        var document = await XmlBodyReader.ReadAsync(request.Http.Request, request.Options.MaxXmlBodyBytes, ct).ConfigureAwait(false);
        if (document?.Root is not { } root || root.Name != DavNames.PropertyUpdate)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "PROPPATCH body must be a DAV:propertyupdate element");
        }

        var instructions = new List<Instruction>();
        foreach (var op in root.Elements())
        {
            var isRemove = op.Name == DavNames.Remove;
            if (!isRemove && op.Name != DavNames.Set)
            {
                continue;
            }

            foreach (var prop in op.Elements(DavNames.Prop).SelectMany(p => p.Elements()))
            {
                instructions.Add(new Instruction(prop.Name, isRemove ? null : prop, isRemove));
            }
        }

        // Decide every outcome before changing anything, so a refused property leaves the resource untouched.
        var failures = new Dictionary<XName, int>();
        DateTimeOffset? newMtime = null;
        var deadChanges = new List<DeadPropertyChange>();
        foreach (var ins in instructions)
        {
            if (IsMtimeProperty(ins.Name))
            {
                if (ins.IsRemove)
                {
                    continue; // removing a time is a no-op that succeeds
                }

                if (TryParseTime(ins.Name, ins.Value!.Value, out var time))
                {
                    newMtime = time;
                }
                else
                {
                    failures[ins.Name] = StatusCodes.Status409Conflict;
                }
            }
            else if (LiveProperties.Protected.Contains(ins.Name))
            {
                failures[ins.Name] = StatusCodes.Status403Forbidden;
            }
            else
            {
                deadChanges.Add(new DeadPropertyChange(ins.Name, ins.Value));
            }
        }

        if (failures.Count == 0 && newMtime is { } mtime && !await request.Store.SetLastModifiedAsync(request.Path, mtime, ct).ConfigureAwait(false))
        {
            // Windows must see 200 for Win32 times or Explorer fails the copy; only the DAV property is refused.
            foreach (var ins in instructions.Where(i => i.Name == DavNames.GetLastModified && !i.IsRemove))
            {
                failures[ins.Name] = StatusCodes.Status403Forbidden;
            }
        }

        if (failures.Count == 0 && deadChanges.Count > 0)
        {
            await request.DeadProperties.PatchAsync(request.Path.Value, deadChanges, ct).ConfigureAwait(false);
        }

        await using var w = new MultistatusWriter(request.Http.Response, int.MaxValue);
        w.BeginResponse(request.Href(request.Path, item.IsCollection));
        var byStatus = instructions
            .Select(i => i.Name)
            .Distinct()
            .GroupBy(n => failures.Count == 0 ? 200 : failures.GetValueOrDefault(n, StatusCodes.Status424FailedDependency));
        foreach (var group in byStatus)
        {
            w.BeginPropstat();
            w.BeginProp();
            foreach (var name in group)
            {
                w.WriteEmptyProperty(name);
            }

            w.EndElement();
            w.WriteStatus(group.Key);
            if (group.Key == StatusCodes.Status403Forbidden)
            {
                w.Xml.WriteStartElement("D", "error", DavNames.Dav.NamespaceName);
                w.Xml.WriteStartElement("D", "cannot-modify-protected-property", DavNames.Dav.NamespaceName);
                w.Xml.WriteEndElement();
                w.Xml.WriteEndElement();
            }

            w.EndElement();
        }

        await w.EndResponseAsync(ct).ConfigureAwait(false);
        await w.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static bool IsMtimeProperty(XName name) =>
        name == DavNames.GetLastModified || name == DavNames.Win32LastModifiedTime || name == DavNames.LastModifiedUnix;

    private static bool TryParseTime(XName name, string text, out DateTimeOffset time)
    {
        text = text.Trim();
        if (name == DavNames.LastModifiedUnix)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and < 253402300800)
            {
                time = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
                return true;
            }

            time = default;
            return false;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
