-- Headless Neovim (0.7+) drives the runbook language server over stdio, as a user's config would:
-- it must publish the diagnostics of a runbook and answer a completion request.
local server, file, out = os.getenv('RUNBOOK_SERVER'), os.getenv('RUNBOOK_FILE'), os.getenv('RUNBOOK_OUT')
local result = { diagnostics = {}, completion = {}, error = nil }

local function write_result()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  vim.bo.filetype = 'markdown'
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'runbook',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  assert(client_id, 'the server did not start')
  vim.lsp.buf_attach_client(buf, client_id)

  local got = vim.wait(20000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 100)
  assert(got, 'no diagnostics within 20 s')
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, code = d.code, message = d.message, source = d.source })
  end

  -- Completion on an empty heading line at the end of the document.
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { '', '## ' })
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = last + 1, character = 3 } }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 20000)
  assert(responses, 'no completion response')
  for _, response in pairs(responses) do
    local items = response.result and (response.result.items or response.result) or {}
    for _, item in ipairs(items) do table.insert(result.completion, item.label) end
  end
end)

if not ok then result.error = tostring(err) end
write_result()
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.cmd(ok and 'qall!' or 'cquit')
