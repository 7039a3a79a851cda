// Everything the planning agents may read about the issue and the repository, as budgetable sections.
import type { ContextSection, EstimateTokens } from "./budget.js";
import { IssueSchema, renderIssue, type Issue, type IssueInput } from "./issue.js";
import { renderReadme } from "./readme.js";
import { RepositoryIndex } from "./repository-index.js";
import { renderRequestedFiles, type RequestedFile } from "./requested-files.js";
import { issueKeywords, TreeListing } from "./tree-listing.js";
import {
  listRelevantFiles,
  RepositoryTreeSchema,
  type ListedFiles,
  type RepositoryTreeInput,
} from "./tree.js";

export interface PlanningSources {
  issue: IssueInput;
  tree: RepositoryTreeInput;
  readme?: string;
  /** Extra globs to leave out of the file list (config `ignore`). */
  ignore?: readonly string[];
}

/** A section that also says, in the user's words, what it holds (for "shortened" notes). */
export interface LabelledSection extends ContextSection {
  label: string;
}

export interface PlanningContext {
  issue: Issue;
  index: RepositoryIndex;
  files: ListedFiles;
  readme: string | undefined;
  issueSection(estimate: EstimateTokens, weight?: number): LabelledSection;
  readmeSection(estimate: EstimateTokens, weight?: number): LabelledSection;
  fileTreeSection(estimate: EstimateTokens, weight?: number): LabelledSection;
  fileContentsSection(files: readonly RequestedFile[], estimate: EstimateTokens): LabelledSection;
}

export function buildPlanningContext(sources: PlanningSources): PlanningContext {
  const issue = IssueSchema.parse(sources.issue);
  const tree = RepositoryTreeSchema.parse(sources.tree);
  const files = listRelevantFiles(tree, sources.ignore);
  const keywords = issueKeywords(`${issue.title}\n${(issue.body ?? "").slice(0, 20_000)}`);
  const listings = new Map<EstimateTokens, TreeListing>();
  const listingFor = (estimate: EstimateTokens): TreeListing => {
    let listing = listings.get(estimate);
    if (!listing) {
      listing = new TreeListing(files, estimate, keywords);
      listings.set(estimate, listing);
    }
    return listing;
  };
  return {
    issue,
    index: new RepositoryIndex(tree),
    files,
    readme: sources.readme,
    issueSection: (estimate, weight = 3) =>
      section("issue", "the issue", weight, (max) => renderIssue(issue, max, estimate)),
    readmeSection: (estimate, weight = 1) =>
      section("readme", "the README", weight, (max) => renderReadme(sources.readme, max, estimate)),
    fileTreeSection: (estimate, weight = 4) => {
      const listing = listingFor(estimate);
      return section("file_tree", "the file list", weight, (max) => listing.render(max));
    },
    fileContentsSection: (requested, estimate) =>
      section("file_contents", "the files the Planner read", 4, (max) =>
        renderRequestedFiles(requested, max, estimate),
      ),
  };
}

/** Remembers each rendering, because budgets are fitted in a few passes over large inputs. */
function section(
  name: string,
  label: string,
  weight: number,
  render: (maxTokens: number) => string,
): LabelledSection {
  const cache = new Map<number, string>();
  return {
    name,
    label,
    weight,
    fit(maxTokens) {
      const key = Math.max(0, Math.floor(maxTokens));
      let text = cache.get(key);
      if (text === undefined) {
        text = render(key);
        cache.set(key, text);
      }
      return text;
    },
  };
}
